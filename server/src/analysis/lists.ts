/**
 * Replace `remove` items of a list at `at` with `items`, in place: Array.prototype.splice
 * without its argument list (a splice of an analysis may put thousands of items in) and
 * without the list of removed items it returns. Returns the list.
 */
export function replaceRange<T>(list: T[], at: number, remove: number, items: readonly T[]): T[] {
  const d = items.length - remove;
  if (d > 0) {
    // grown by pushing copies, not by setting the length: that would leave holes, and V8 would
    // give the list (and every function reading it) the slower holey elements kind for good
    const n = list.length;
    for (let k = 0; k < d; k++) list.push(n > 0 ? list[n - 1] : items[0]);
    for (let i = list.length - 1; i >= at + items.length; i--) list[i] = list[i - d];
  } else if (d < 0) {
    for (let i = at + items.length; i < list.length + d; i++) list[i] = list[i - d];
    list.length += d;
  }
  for (let i = 0; i < items.length; i++) list[at + i] = items[i];
  return list;
}
