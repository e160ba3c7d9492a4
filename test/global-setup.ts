// Gives every test file a Redis: REDIS_URL when set, else a private redis-server on a free port,
// so a test run never touches data it did not create. Tests also use their own key namespace.
import type { TestProject } from 'vitest/node';
import { removeServerFolder, startRedisServer, type RedisServer } from './support/redis-server.ts';

let server: RedisServer | undefined;

export default async function setup(project: TestProject) {
  let url = process.env['REDIS_URL'];
  if (!url) {
    server = await startRedisServer();
    url = server.url;
  }
  project.provide('redisUrl', url);
  return async () => {
    if (server) {
      await server.stop();
      removeServerFolder(server);
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}
