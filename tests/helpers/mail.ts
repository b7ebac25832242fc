/**
 * A real SMTP server for tests (`smtp-server` on an ephemeral port) that parses what arrives
 * (`mailparser`), so a test reads the email a person would receive and follows its link. It can
 * be told to refuse mail (a 4xx or 5xx answer) to test that nothing is lost.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { expect } from 'vitest';

export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  parsed: ParsedMail;
}

export interface TestMailServer {
  /** `smtp://127.0.0.1:<port>`, for SMTP_URL. */
  url: string;
  port: number;
  messages: ReceivedMail[];
  /** Messages to `address` (case-insensitive), oldest first. */
  to(address: string): ReceivedMail[];
  /** The last message to `address`, waiting briefly for it. */
  lastTo(address: string, timeoutMs?: number): Promise<ReceivedMail>;
  /** The first link on `origin` in the last message to `address` (waits for it). */
  linkTo(address: string, pathPrefix?: string): Promise<string>;
  /** From now on, answer every message with this SMTP code (e.g. 451, 550); null accepts again. */
  refuseWith(code: number | null): void;
  clear(): void;
  close(): Promise<void>;
}

export async function startMailServer(): Promise<TestMailServer> {
  const messages: ReceivedMail[] = [];
  let refusal: number | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      if (refusal !== null) {
        stream.resume();
        const code = refusal;
        stream.on('end', () => {
          const error = new Error(code >= 500 ? 'Mailbox unavailable' : 'Try again later') as Error & {
            responseCode: number;
          };
          error.responseCode = code;
          callback(error);
        });
        return;
      }
      simpleParser(stream)
        .then((parsed) => {
          const recipients = session.envelope.rcptTo.map((r) => r.address);
          for (const to of recipients) {
            messages.push({
              to,
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              parsed,
            });
          }
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as AddressInfo).port;

  const to = (address: string) => messages.filter((m) => m.to.toLowerCase() === address.toLowerCase());
  const lastTo = async (address: string, timeoutMs = 5000) => {
    await expect.poll(() => to(address).length, { timeout: timeoutMs }).toBeGreaterThan(0);
    return to(address).at(-1)!;
  };
  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    to,
    lastTo,
    async linkTo(address, pathPrefix = '') {
      const mail = await lastTo(address);
      const links = mail.text.match(/https?:\/\/[^\s)]+/g) ?? [];
      const link = links.find((l) => new URL(l).pathname.startsWith(pathPrefix));
      if (!link) throw new Error(`no link under "${pathPrefix}" in the mail to ${address}:\n${mail.text}`);
      return link;
    },
    refuseWith(code) {
      refusal = code;
    },
    clear() {
      messages.length = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The secret a link carries in its fragment (`#token=` or `#change=`). */
export function linkToken(link: string): string {
  const fragment = new URLSearchParams(new URL(link).hash.slice(1));
  const token = fragment.get('token') ?? fragment.get('change');
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}
