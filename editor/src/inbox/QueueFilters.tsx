import { FILTERS, type InboxFilter } from './queue.js';

/** The queue's filters, as tabs with their counts. */
export function QueueFilters(props: { value: InboxFilter; counts: Record<InboxFilter, number>; onChange(filter: InboxFilter): void }) {
  return (
    <div className="queue-filters" role="group" aria-label="Show">
      {FILTERS.map((filter) => (
        <button key={filter.id} type="button" className="queue-filter" aria-pressed={props.value === filter.id} onClick={() => props.onChange(filter.id)}>
          {filter.label}
          <span className="queue-count" aria-label={`(${props.counts[filter.id]})`}>
            {props.counts[filter.id]}
          </span>
        </button>
      ))}
    </div>
  );
}
