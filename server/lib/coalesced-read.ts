/**
 * One read shared by the callers that ask for it within the same turn of the event loop. The read
 * starts after every caller that shares it has asked (on `setImmediate`), so each gets a value at
 * least as fresh as the moment it asked: read-your-writes holds, unlike joining a read already
 * running. Under load, fifty concurrent requests cost a few reads instead of fifty.
 */
export class CoalescedRead<T> {
  private next: Promise<T> | undefined;

  constructor(private readonly read: () => Promise<T>) {}

  get(): Promise<T> {
    this.next ??= new Promise<T>((resolve, reject) => {
      setImmediate(() => {
        // Callers from now on wait for a read that starts after them.
        this.next = undefined;
        this.read().then(resolve, reject);
      });
    });
    return this.next;
  }
}
