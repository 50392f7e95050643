import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Loads something and keeps its state: data, error, and a way to load again. `key` names what the load depends
 * on; a new key loads again.
 */
export function useLoad<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const latest = useRef(load);
  latest.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is what the load depends on; the load itself is read from a ref
  const run = useCallback(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    latest.current().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [key]);
  useEffect(run, [run]);
  return { ...state, reload: run, set: (data: T) => setState({ data, loading: false }) };
}
