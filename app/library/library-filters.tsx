"use client";

/** Search, tag filter and the archived switch above the library's table. */
export function LibraryFilters(props: {
  search: string;
  onSearch(search: string): void;
  tag: string;
  tags: readonly string[];
  onTag(tag: string): void;
  archived: boolean;
  onArchived(archived: boolean): void;
}) {
  return (
    <div className="library-filters" role="search">
      <input
        className="input library-search"
        type="search"
        placeholder="Search name, description, tags"
        aria-label="Search plans"
        value={props.search}
        onChange={(event) => props.onSearch(event.target.value)}
      />
      <select className="input" aria-label="Filter by tag" value={props.tag} onChange={(event) => props.onTag(event.target.value)}>
        <option value="">All tags</option>
        {props.tags.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
      <label className="check">
        <input type="checkbox" checked={props.archived} onChange={(event) => props.onArchived(event.target.checked)} /> Archived
      </label>
    </div>
  );
}
