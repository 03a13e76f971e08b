/** Keeps track of fire-and-forget work so shutdown and tests can wait for it. */
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly onError: (error: unknown, name: string) => void) {}

  run(name: string, work: () => Promise<unknown>): void {
    const task = work()
      .catch((error) => this.onError(error, name))
      .finally(() => this.running.delete(task));
    this.running.add(task);
  }

  get busy(): boolean {
    return this.running.size > 0;
  }

  /** Resolves when every task started so far (and any they start) has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
