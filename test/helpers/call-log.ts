/** A list of recorded calls that tests can wait on: resolves with the first match, recorded or future. */
export class CallLog<T> {
  readonly calls: T[] = [];
  private waiters: { pred: (c: T) => boolean; resolve: (c: T) => void }[] = [];

  constructor(private readonly what: string) {}

  record(call: T): void {
    this.calls.push(call);
    for (const w of [...this.waiters]) {
      if (w.pred(call)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
  }

  waitFor(pred: (c: T) => boolean, ms = 5000): Promise<T> {
    const found = this.calls.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${this.what}`)), ms);
      this.waiters.push({
        pred,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }
}
