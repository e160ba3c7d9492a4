// A real SMTP server for tests: plain SMTP on 127.0.0.1 and a free port, any login accepted,
// every message parsed as a mail client would see it. It can refuse messages with a chosen code.
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerEnvelope } from 'smtp-server';

export interface ReceivedMessage {
  mail: ParsedMail;
  envelope: SMTPServerEnvelope;
  /** The user the client logged in as, if it did. */
  user?: string;
}

export interface TestSmtpServer {
  /** `smtp://user:pass@127.0.0.1:<port>`. */
  url: string;
  port: number;
  /** Messages accepted so far, in order of arrival. */
  messages: ReceivedMessage[];
  /** Answer the next `times` messages (default: all from now on) with `code` at the end of DATA. */
  refuse(code: number, times?: number): void;
  /** Resolves once `n` messages have been accepted in total. */
  waitForMessages(n: number): Promise<ReceivedMessage[]>;
  close(): Promise<void>;
}

export interface SmtpServerOptions {
  /** Refuse from the start: as `refuse(code, times)` right after starting. */
  refuse?: { code: number; times?: number };
}

export async function startSmtpServer(options: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMessage[] = [];
  const waiters: Array<{ n: number; resolve: (messages: ReceivedMessage[]) => void }> = [];
  let refusal: { code: number; remaining: number } | undefined;

  const refuse = (code: number, times = Infinity) => {
    refusal = times > 0 ? { code, remaining: times } : undefined;
  };
  if (options.refuse) refuse(options.refuse.code, options.refuse.times);

  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    // No TLS here, so the server must be told that a plain-text login is fine.
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? 'anonymous' });
    },
    onData(stream, session, callback) {
      if (refusal) {
        const error = Object.assign(new Error(`Refused by the test server (${refusal.code})`), { responseCode: refusal.code });
        refusal.remaining -= 1;
        if (refusal.remaining <= 0) refusal = undefined;
        // The client only reads the answer after the whole message, so drain it before refusing.
        stream.on('end', () => callback(error));
        stream.resume();
        return;
      }
      simpleParser(stream).then(
        (mail) => {
          const user = typeof session.user === 'string' ? session.user : undefined;
          messages.push({ mail, envelope: structuredClone(session.envelope), ...(user ? { user } : {}) });
          for (const waiter of waiters.filter((w) => messages.length >= w.n)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(messages.slice());
          }
          callback();
        },
        (error: Error) => callback(Object.assign(error, { responseCode: 554 })),
      );
    },
  });

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.server.address();
      if (typeof address === 'object' && address) resolve(address.port);
      else reject(new Error('The SMTP server has no port'));
    });
  });

  return {
    url: `smtp://user:pass@127.0.0.1:${port}`,
    port,
    messages,
    refuse,
    waitForMessages(n) {
      if (messages.length >= n) return Promise.resolve(messages.slice());
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
