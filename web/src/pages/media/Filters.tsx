// Searching the library: name, type, tag and upload date (a day range in the viewer's time zone).

import { useId } from 'react';

export interface Search {
  name: string;
  type: string;
  tag: string;
  /** Days as the date inputs give them, `YYYY-MM-DD`. */
  fromDay: string;
  toDay: string;
}

export const emptySearch: Search = { name: '', type: '', tag: '', fromDay: '', toDay: '' };

/** The API wants RFC 3339 instants: from the start of the first day to the start of the day after the last. */
export function dayRange(search: Search): { from?: string; to?: string } {
  const start = (day: string) => new Date(`${day}T00:00:00`);
  const out: { from?: string; to?: string } = {};
  if (search.fromDay) out.from = start(search.fromDay).toISOString();
  if (search.toDay) {
    const end = start(search.toDay);
    end.setDate(end.getDate() + 1);
    out.to = end.toISOString();
  }
  return out;
}

export function Filters({ search, onChange }: { search: Search; onChange: (s: Search) => void }) {
  const id = useId();
  const set = (change: Partial<Search>) => onChange({ ...search, ...change });
  return (
    <div className="inline filters" role="search" aria-label="Search the library">
      <div className="field">
        <label htmlFor={`${id}-name`}>Search by name</label>
        <input id={`${id}-name`} type="search" value={search.name} onChange={(e) => set({ name: e.target.value })} />
      </div>
      <label className="inline-label">
        Type{' '}
        <select value={search.type} onChange={(e) => set({ type: e.target.value })}>
          <option value="">all</option>
          <option value="image">images</option>
          <option value="gif">GIFs</option>
          <option value="video">videos</option>
        </select>
      </label>
      <div className="field">
        <label htmlFor={`${id}-tag`}>Tag</label>
        <input id={`${id}-tag`} value={search.tag} onChange={(e) => set({ tag: e.target.value.trim() })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-from`}>Uploaded from</label>
        <input id={`${id}-from`} type="date" value={search.fromDay} onChange={(e) => set({ fromDay: e.target.value })} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-to`}>Uploaded until</label>
        <input id={`${id}-to`} type="date" value={search.toDay} onChange={(e) => set({ toDay: e.target.value })} />
      </div>
    </div>
  );
}
