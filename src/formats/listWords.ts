/**
 * Names joined as a sentence lists them, for every report and screen that names several things:
 * "a", "a and b", "a, b and c" (nothing for none).
 */
export function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}
