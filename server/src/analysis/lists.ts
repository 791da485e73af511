/**
 * Replace `remove` items of a list at `at` with `items`, in place: Array.prototype.splice
 * without its argument list (a splice of an analysis may put thousands of items in) and
 * without the list of removed items it returns. Returns the list.
 */
export function replaceRange<T>(list: T[], at: number, remove: number, items: readonly T[]): T[] {
  const d = items.length - remove;
  if (d > 0) {
    list.length += d;
    for (let i = list.length - 1; i >= at + items.length; i--) list[i] = list[i - d];
  } else if (d < 0) {
    for (let i = at + items.length; i < list.length + d; i++) list[i] = list[i - d];
    list.length += d;
  }
  for (let i = 0; i < items.length; i++) list[at + i] = items[i];
  return list;
}
