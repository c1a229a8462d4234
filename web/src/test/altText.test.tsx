import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ai } from '../api/ai';
import { media, type MediaAsset } from '../api/media';
import { MediaPicker } from '../pages/publishing/MediaPicker';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const photo: MediaAsset = {
  id: 'm1',
  name: 'spring-banner.jpg',
  type: 'image',
  mime: 'image/jpeg',
  bytes: 250_000,
  sha256: 'ab',
  colors: ['#1b5e20'],
  probe: {},
  tags: [],
  hasThumbnail: false,
  width: 1600,
  height: 900,
  createdAt: '2026-11-30T00:00:00Z',
  updatedAt: '2026-11-30T00:00:00Z',
};

describe('alt text for attached pictures', () => {
  it('writes and saves alt text, saying when it only describes the file', async () => {
    vi.spyOn(media, 'list').mockResolvedValue({ items: [photo] });
    const write = vi.spyOn(ai, 'altText').mockResolvedValue({
      altText: 'Landscape image (1600 × 900) in mostly dark green tones, titled “spring banner”.',
      caption: null,
      engine: 'local',
      costMicros: 0,
      fallback: null,
      note: 'Made from the file’s shape, colours, name only: the built-in engine cannot see what the picture shows.',
      saved: true,
    });
    render(<MediaPicker workspace="w1" chosen={['m1']} onChange={() => {}} canUpload={false} />);
    const row = await screen.findByLabelText('Alt text of spring-banner.jpg');
    expect(row).toHaveTextContent('no alt text yet');
    fireEvent.click(screen.getByRole('button', { name: 'Write alt text' }));
    expect(await screen.findByText(/in mostly dark green tones/)).toBeInTheDocument();
    expect(write).toHaveBeenCalledWith('w1', 'm1', true);
    expect(row).toHaveTextContent('Saved · free (local engine)');
    expect(row).toHaveTextContent('cannot see what the picture shows');
  });

  it('offers nothing for pictures that are not attached', async () => {
    vi.spyOn(media, 'list').mockResolvedValue({ items: [photo] });
    render(<MediaPicker workspace="w1" chosen={[]} onChange={() => {}} canUpload={false} />);
    fireEvent.click(screen.getByRole('button', { name: 'Attach media' }));
    await screen.findByRole('checkbox', { name: /spring-banner\.jpg/ });
    expect(screen.queryByRole('button', { name: 'Write alt text' })).toBeNull();
  });
});
