import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { media, type MediaAsset, type MediaFolder } from '../api/media';
import { MediaPage } from '../pages/media/MediaPage';
import { json } from './helpers';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

const asset = (id: string, name: string, over: Partial<MediaAsset> = {}): MediaAsset => ({
  id,
  name,
  type: 'image',
  mime: 'image/jpeg',
  bytes: 20_000,
  sha256: id,
  colors: [],
  probe: {},
  tags: [],
  hasThumbnail: false,
  folderId: null,
  createdAt: '2026-11-30T10:00:00Z',
  updatedAt: '2026-11-30T10:00:00Z',
  ...over,
});

const folder = (id: string, name: string): MediaFolder => ({ id, name, createdAt: '2026-11-30T00:00:00Z' });

function library(items: MediaAsset[], folders: MediaFolder[] = []) {
  const list = vi.spyOn(media, 'list').mockResolvedValue({ items });
  const listFolders = vi.spyOn(media, 'folders').mockResolvedValue(folders);
  return { list, listFolders };
}

describe('MediaPage folders', () => {
  it('lists folders, filters by one, creates one and deletes one', async () => {
    const { list, listFolders } = library([asset('m1', 'launch.jpg')], [folder('f1', 'Spring')]);
    const create = vi.spyOn(media, 'createFolder').mockResolvedValue(folder('f2', 'Summer'));
    const remove = vi.spyOn(media, 'deleteFolder').mockResolvedValue(undefined);
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    render(<MediaPage workspace="w1" canUpload />);
    const nav = await screen.findByRole('navigation', { name: 'Folders' });
    fireEvent.click(await within(nav).findByRole('button', { name: 'Spring' }));
    await vi.waitFor(() => expect(list).toHaveBeenLastCalledWith('w1', '', '', expect.objectContaining({ folderId: 'f1' })));
    expect(within(nav).getByRole('button', { name: 'Spring' })).toHaveAttribute('aria-pressed', 'true');

    fireEvent.change(within(nav).getByLabelText('New folder'), { target: { value: ' Summer ' } });
    fireEvent.click(within(nav).getByRole('button', { name: 'Create folder' }));
    await vi.waitFor(() => expect(create).toHaveBeenCalledWith('w1', 'Summer'));
    await vi.waitFor(() => expect(list).toHaveBeenLastCalledWith('w1', '', '', expect.objectContaining({ folderId: 'f2' })));
    expect(listFolders).toHaveBeenCalledTimes(2);

    fireEvent.click(within(nav).getByRole('button', { name: 'Delete folder Spring' }));
    await vi.waitFor(() => expect(remove).toHaveBeenCalledWith('w1', 'f1'));
  });

  it('shows why a folder could not be created', async () => {
    library([], []);
    vi.spyOn(media, 'createFolder').mockRejectedValue(new ApiError(409, 'CONFLICT', 'a folder with this name exists', null, 'r1'));
    render(<MediaPage workspace="w1" canUpload />);
    await screen.findByText('No folders yet.');
    fireEvent.change(screen.getByLabelText('New folder'), { target: { value: 'Spring' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create folder' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('a folder with this name exists');
  });
});

describe('MediaPage search', () => {
  it('searches by tag and by upload date', async () => {
    const { list } = library([asset('m1', 'launch.jpg')]);
    render(<MediaPage workspace="w1" canUpload />);
    await screen.findByRole('list', { name: 'Assets' });
    fireEvent.change(screen.getByLabelText('Tag'), { target: { value: 'spring' } });
    await vi.waitFor(() => expect(list).toHaveBeenLastCalledWith('w1', '', '', expect.objectContaining({ tag: 'spring' })));
    fireEvent.change(screen.getByLabelText('Uploaded from'), { target: { value: '2026-11-01' } });
    fireEvent.change(screen.getByLabelText('Uploaded until'), { target: { value: '2026-11-30' } });
    await vi.waitFor(() =>
      expect(list).toHaveBeenLastCalledWith(
        'w1',
        '',
        '',
        expect.objectContaining({ from: new Date('2026-11-01T00:00:00').toISOString(), to: new Date('2026-12-01T00:00:00').toISOString() }),
      ),
    );
  });

  it('says when nothing matches and shows a failed search', async () => {
    const list = vi.spyOn(media, 'list').mockResolvedValueOnce({ items: [] }).mockRejectedValue(new ApiError(422, 'VALIDATION_ERROR', 'from must be an RFC 3339 timestamp', null, 'r'));
    vi.spyOn(media, 'folders').mockResolvedValue([]);
    render(<MediaPage workspace="w1" canUpload />);
    await screen.findByText('No media yet.');
    fireEvent.change(screen.getByLabelText('Search by name'), { target: { value: 'x' } });
    expect(await screen.findByRole('alert')).toHaveTextContent('from must be an RFC 3339 timestamp');
    expect(list).toHaveBeenLastCalledWith('w1', 'x', '', expect.anything());
  });
});

describe('MediaPage asset edits', () => {
  it('adds and removes a tag, moves to a folder and saves alt text', async () => {
    library([asset('m1', 'launch.jpg', { tags: ['spring'] })], [folder('f1', 'Spring')]);
    const update = vi
      .spyOn(media, 'update')
      .mockImplementation(async (_ws, id, patch) => asset(id, 'launch.jpg', { tags: patch.tags ?? ['spring'], folderId: patch.folderId ?? null }));
    const alt = vi.spyOn(media, 'setAltText').mockImplementation(async (_ws, id, altText) => asset(id, 'launch.jpg', { altText }));
    render(<MediaPage workspace="w1" canUpload />);
    const card = (await screen.findByRole('list', { name: 'Assets' })).querySelector('li')!;
    const tags = within(card).getByRole('list', { name: 'Tags of launch.jpg' });
    expect(within(tags).getByText('spring')).toBeInTheDocument();

    fireEvent.change(within(card).getByLabelText('Add a tag to launch.jpg'), { target: { value: 'launch' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Add tag to launch.jpg' }));
    await vi.waitFor(() => expect(update).toHaveBeenCalledWith('w1', 'm1', { tags: ['spring', 'launch'] }));
    expect(await within(tags).findByText('launch')).toBeInTheDocument();

    fireEvent.click(within(card).getByRole('button', { name: 'Remove tag spring from launch.jpg' }));
    await vi.waitFor(() => expect(update).toHaveBeenLastCalledWith('w1', 'm1', { tags: ['launch'] }));

    fireEvent.change(within(card).getByLabelText('Folder of launch.jpg'), { target: { value: 'f1' } });
    await vi.waitFor(() => expect(update).toHaveBeenLastCalledWith('w1', 'm1', { folderId: 'f1' }));

    fireEvent.change(within(card).getByLabelText('Alt text for launch.jpg'), { target: { value: 'A rocket at dawn' } });
    fireEvent.click(within(card).getByRole('button', { name: 'Save alt text for launch.jpg' }));
    await vi.waitFor(() => expect(alt).toHaveBeenCalledWith('w1', 'm1', 'A rocket at dawn'));
    expect(await within(card).findByText('Saved.')).toBeInTheDocument();
  });

  it('shows why a file in use by a scheduled post cannot be deleted', async () => {
    library([asset('m1', 'launch.jpg')]);
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    vi.spyOn(media, 'remove').mockRejectedValue(
      new ApiError(409, 'CONFLICT', 'a post that has not gone out yet uses this file (p1); remove it from the post or unschedule the post first', null, 'r'),
    );
    render(<MediaPage workspace="w1" canUpload />);
    const card = (await screen.findByRole('list', { name: 'Assets' })).querySelector('li')!;
    fireEvent.click(within(card).getByRole('button', { name: 'Delete launch.jpg' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent('a post that has not gone out yet uses this file (p1)');
    expect(screen.getByText('launch.jpg')).toBeInTheDocument();
  });
});

describe('MediaPage bulk actions', () => {
  it('deletes the selected files and lists each outcome, with the reason for a refused one', async () => {
    library([asset('m1', 'launch.jpg'), asset('m2', 'teaser.jpg'), asset('m3', 'other.jpg')]);
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const bulk = vi.spyOn(media, 'bulk').mockResolvedValue([
      { id: 'm1', ok: true, error: null },
      { id: 'm2', ok: false, error: { code: 'CONFLICT', message: 'a post that has not gone out yet uses this file (p7); remove it from the post or unschedule the post first' } },
    ]);
    render(<MediaPage workspace="w1" canUpload />);
    await screen.findByRole('list', { name: 'Assets' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select launch.jpg' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select teaser.jpg' }));
    expect(screen.getByRole('heading', { name: '2 selected' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Delete selected' }));
    await vi.waitFor(() => expect(bulk).toHaveBeenCalledWith('w1', ['m1', 'm2'], { action: 'delete' }));
    const results = await screen.findByRole('list', { name: 'Results per file' });
    expect(within(results).getByText('done')).toBeInTheDocument();
    expect(within(results).getByText(/uses this file \(p7\)/)).toHaveClass('field-error');
    expect(screen.getByText('Deleted: 1 done, 1 refused.')).toBeInTheDocument();
  });

  it('tags, untags and moves the selection', async () => {
    library([asset('m1', 'launch.jpg'), asset('m2', 'teaser.jpg')], [folder('f1', 'Spring')]);
    const bulk = vi.spyOn(media, 'bulk').mockImplementation(async (_ws, ids) => ids.map((id) => ({ id, ok: true, error: null })));
    render(<MediaPage workspace="w1" canUpload />);
    await screen.findByRole('list', { name: 'Assets' });
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select all shown' }));
    fireEvent.change(screen.getByLabelText('Tags (comma-separated)'), { target: { value: 'spring, launch' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add tags' }));
    await vi.waitFor(() => expect(bulk).toHaveBeenLastCalledWith('w1', ['m1', 'm2'], { action: 'addTags', tags: ['spring', 'launch'] }));
    expect(await screen.findByText('Tagged with spring, launch: 2 done.')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Remove tags' }));
    await vi.waitFor(() => expect(bulk).toHaveBeenLastCalledWith('w1', ['m1', 'm2'], { action: 'removeTags', tags: ['spring', 'launch'] }));
    const bar = screen.getByRole('region', { name: '2 selected' });
    fireEvent.change(within(bar).getByRole('combobox'), { target: { value: 'f1' } });
    fireEvent.click(within(bar).getByRole('button', { name: 'Move' }));
    await vi.waitFor(() => expect(bulk).toHaveBeenLastCalledWith('w1', ['m1', 'm2'], { action: 'move', folderId: 'f1' }));
    expect(await screen.findByText('Moved to Spring: 2 done.')).toBeInTheDocument();
  });

  it('posts the bulk request to the bulk endpoint', async () => {
    const fetcher = vi.fn(async () => json(200, [{ id: 'm1', ok: true, error: null }]));
    vi.stubGlobal('fetch', fetcher);
    await media.bulk('w1', ['m1'], { action: 'move', folderId: null });
    expect(fetcher).toHaveBeenCalledWith('/api/v1/workspaces/w1/media/bulk', expect.objectContaining({ method: 'POST', body: JSON.stringify({ ids: ['m1'], action: 'move', folderId: null }) }));
  });
});

describe('MediaPage large uploads', () => {
  it('says when a dropped connection made an upload resume, then that it finished, into the open folder', async () => {
    library([], [folder('f1', 'Spring')]);
    let finish: () => void = () => undefined;
    const upload = vi.spyOn(media, 'upload').mockImplementation(
      (_ws, file, onProgress, _folder, onResume) =>
        new Promise((resolve) => {
          onProgress(0.4);
          onResume?.(4 * 1_048_576);
          finish = () => resolve({ asset: asset('m9', file.name, { type: 'video' }), duplicate: false });
        }),
    );
    render(<MediaPage workspace="w1" canUpload />);
    fireEvent.click(await screen.findByRole('button', { name: 'Spring' }));
    await screen.findByText(/Into the folder Spring/);
    const big = new File(['x'], 'film.mp4', { type: 'video/mp4' });
    fireEvent.change(screen.getByLabelText('Upload images, GIFs or videos'), { target: { files: [big] } });
    const uploads = await screen.findByRole('list', { name: 'Uploads' });
    expect(await within(uploads).findByText('connection dropped; resuming from 4.0 MB')).toBeInTheDocument();
    expect(within(uploads).getByLabelText('Uploading film.mp4')).toHaveAttribute('value', '0.4');
    expect(upload).toHaveBeenCalledWith('w1', big, expect.any(Function), 'f1', expect.any(Function));
    finish();
    expect(await within(uploads).findByText('uploaded')).toBeInTheDocument();
  });
});
