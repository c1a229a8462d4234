import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { media, type MediaAsset } from '../api/media';
import { MediaPage } from '../pages/media/MediaPage';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const asset: MediaAsset = {
  id: 'm1',
  name: 'launch.jpg',
  type: 'image',
  mime: 'image/jpeg',
  bytes: 2_500_000,
  sha256: 'ab',
  colors: [],
  probe: {},
  tags: [],
  hasThumbnail: false,
  width: 1200,
  height: 800,
  createdAt: '2026-11-30T00:00:00Z',
  updatedAt: '2026-11-30T00:00:00Z',
};

describe('MediaPage', () => {
  it('shows each upload with its progress and what the server refused, then the library', async () => {
    const list = vi.spyOn(media, 'list').mockResolvedValueOnce({ items: [] }).mockResolvedValue({ items: [asset] });
    vi.spyOn(media, 'folders').mockResolvedValue([]);
    vi.spyOn(media, 'upload').mockImplementation(async (_ws, file, onProgress) => {
      onProgress(0.5);
      if (file.name.endsWith('.exe.png')) throw new ApiError(415, 'UNSUPPORTED_MEDIA', 'this file is not an image or video the library accepts', null, 'req-1');
      return { asset, duplicate: false };
    });
    render(<MediaPage workspace="w1" canUpload />);
    await screen.findByText('No media yet.');
    const input = screen.getByLabelText('Upload images, GIFs or videos');
    fireEvent.change(input, { target: { files: [new File(['x'], 'launch.jpg', { type: 'image/jpeg' }), new File(['MZ'], 'tool.exe.png', { type: 'image/png' })] } });
    const uploads = await screen.findByRole('list', { name: 'Uploads' });
    expect(await within(uploads).findByText('uploaded')).toBeInTheDocument();
    expect(within(uploads).getByText('this file is not an image or video the library accepts')).toHaveClass('field-error');
    expect(within(uploads).getByLabelText('Uploading launch.jpg')).toHaveAttribute('value', '1');
    const assets = await screen.findByRole('list', { name: 'Assets' });
    expect(within(assets).getByText(/1200×800 · 2\.4 MB/)).toBeInTheDocument();
    expect(list).toHaveBeenCalledTimes(2);
  });
});

describe('MediaPicker', () => {
  it('attaches library files in the order picked and uploads new ones straight into the post', async () => {
    const { MediaPicker } = await import('../pages/publishing/MediaPicker');
    const library = [
      { ...asset, id: 'm1', name: 'first.png', hasThumbnail: false },
      { ...asset, id: 'm2', name: 'second.png', hasThumbnail: false },
    ];
    vi.spyOn(media, 'list').mockResolvedValue({ items: library });
    vi.spyOn(media, 'upload').mockImplementation(async (_ws, file, onProgress) => {
      onProgress(1);
      return { asset: { ...asset, id: 'm3', name: file.name, hasThumbnail: false }, duplicate: false };
    });
    const changes: string[][] = [];
    const { rerender } = render(<MediaPicker workspace="w1" chosen={[]} onChange={(ids) => changes.push(ids)} canUpload />);
    fireEvent.click(screen.getByRole('button', { name: 'Attach media' }));
    fireEvent.click(await screen.findByRole('checkbox', { name: /second\.png/ }));
    expect(changes.at(-1)).toEqual(['m2']);
    rerender(<MediaPicker workspace="w1" chosen={['m2']} onChange={(ids) => changes.push(ids)} canUpload />);
    fireEvent.click(screen.getByRole('checkbox', { name: /first\.png/ }));
    expect(changes.at(-1)).toEqual(['m2', 'm1']);
    const file = new File([new Uint8Array([137, 80, 78, 71])], 'new.png', { type: 'image/png' });
    fireEvent.change(screen.getByLabelText('Upload and attach'), { target: { files: [file] } });
    await vi.waitFor(() => expect(changes.at(-1)).toEqual(['m2', 'm3']));
  });
});
