/**
 * Keeps up to `depth` reads in flight ahead of the consumer, so inflating the next event file overlaps with parsing
 * and writing the current one, while memory stays bounded to `depth` files.
 */
export async function* readAhead<T, R>(items: readonly T[], read: (item: T) => Promise<R>, depth: number): AsyncGenerator<[T, R]> {
  const pending: Promise<R>[] = [];
  let next = 0;
  const fill = () => {
    while (pending.length < depth && next < items.length) pending.push(read(items[next++]!));
  };
  fill();
  try {
    for (let i = 0; i < items.length; i++) {
      const result = await pending.shift()!;
      fill();
      yield [items[i]!, result];
    }
  } finally {
    // The consumer stopped early (cancel, error): reads still in flight must not surface as unhandled rejections
    // once the source they read from is closed.
    for (const p of pending) p.catch(() => undefined);
  }
}
