/**
 * Lets the benchmark ask a subject process for its own cost over IPC: CPU time used and
 * peak RSS, read by the process itself so nothing else on the machine is counted.
 */
export function answerStatsRequests(): void {
  process.on('message', (message: unknown) => {
    if ((message as { type?: string }).type !== 'stats') return;
    const cpu = process.cpuUsage();
    process.send?.({
      type: 'stats',
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    });
  });
}

/** Tells the parent the subject is listening. */
export function announceReady(port: number): void {
  process.send?.({ type: 'ready', port });
}
