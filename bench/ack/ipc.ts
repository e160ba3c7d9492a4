// The parent: IPC with the children.
import { type ChildProcess, fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export type Message = { type: string } & Record<string, unknown>;

/** The children are this benchmark again, started at its entry (main.ts) with `--role=`. */
const ENTRY = fileURLToPath(new URL('./main.ts', import.meta.url));

export function spawnChild(role: 'fake' | 'server' | 'worker', env: Record<string, string> = {}): ChildProcess {
  // fork keeps this process's execArgv: tsx's loader comes along.
  return fork(ENTRY, [`--role=${role}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

/** The child's next message of `type` (after sending `send`, if given); rejects should the child exit first. */
export function ask<T extends Message>(child: ChildProcess, type: string, send?: Message): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: Message) => {
      if (message.type !== type) return;
      cleanup();
      resolve(message as T);
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`a child process exited (${code}) before answering ${type}`));
    };
    const cleanup = () => {
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
    if (send) child.send(send);
  });
}

export async function stopChild(child: ChildProcess): Promise<Message | undefined> {
  if (child.exitCode !== null || !child.connected) return undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const answer = await ask(child, 'stopped', { type: 'stop' }).catch(() => undefined);
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
  return answer;
}
