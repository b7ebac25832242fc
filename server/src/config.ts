/**
 * Configuration, read once from the environment and validated at boot into a typed object.
 * Every key is listed with its default in `.env.example` and the README. Four things depend on
 * NODE_ENV: demo seeding (never in production), pretty logs, the default of API_DOCS (members
 * only in production), and mail (production needs SMTP_URL; elsewhere mail without it is written
 * to MAIL_DIR). Cookie `Secure` follows the scheme of PUBLIC_ORIGIN.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Type from 'typebox';
import Value from 'typebox/value';

/** The repository root, from src/ and dist/ alike: relative paths in the config are resolved here. */
export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const Int = (def: number, min: number, description: string) =>
  Type.Integer({ default: def, minimum: min, description });

export const ConfigSchema = Type.Object({
  NODE_ENV: Type.Enum(['development', 'production', 'test'], { default: 'development' }),
  HOST: Type.String({ default: 'localhost', minLength: 1 }),
  PORT: Type.Integer({ default: 3000, minimum: 0, maximum: 65535 }),
  PUBLIC_ORIGIN: Type.String({ default: '', description: 'Origin the browser sees, e.g. https://forum.example.org' }),
  DATABASE_PATH: Type.String({ default: 'data/lexforum.db', minLength: 1 }),
  WEB_DIST: Type.String({ default: 'web/dist', minLength: 1 }),
  LOG_LEVEL: Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { default: 'info' }),
  TRUST_PROXY: Type.Boolean({ default: false }),
  API_DOCS: Type.Optional(
    Type.Enum(['members', 'public', 'off'], {
      description: 'Who may read the OpenAPI document and UI. Default: members in production, public otherwise.',
    }),
  ),
  REQUEST_TIMEOUT_SECONDS: Int(30, 1, 'A request (headers and body) not received in full by then gets 408.'),
  SESSION_IDLE_TIMEOUT_SECONDS: Int(7 * 24 * 3600, 60, 'A session unused this long ends.'),
  SESSION_MAX_AGE_SECONDS: Int(30 * 24 * 3600, 60, 'A session ends this long after sign-in, however active.'),
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT_IP: Int(5, 1, 'Failed sign-ins per account from one IP per window before 429.'),
  SIGN_IN_MAX_FAILURES_PER_IP: Int(20, 1, 'Failed sign-ins per IP per window before 429.'),
  SIGN_IN_FAILURE_WINDOW_SECONDS: Int(15 * 60, 1, 'The window the two limits above count in.'),
  SIGN_IN_MAX_FAILURES_PER_ACCOUNT: Int(30, 1, 'Failed sign-ins per account from all IPs per account window.'),
  SIGN_IN_ACCOUNT_WINDOW_SECONDS: Int(60 * 60, 1, 'The window of the per-account limit (known devices pass it).'),
  KNOWN_DEVICE_DAYS: Int(180, 1, 'A device not used to sign in for this long is no longer known.'),
  KNOWN_DEVICES_PER_USER: Int(10, 1, 'Known devices kept per member; the least recently used go first.'),
  REGISTRATIONS_PER_HOUR_PER_IP: Int(10, 1, 'Account creations per IP per hour.'),
  RATE_LIMIT_PER_MINUTE: Int(600, 1, 'Requests per IP per minute across the API.'),
  REALTIME_REPLAY_DAYS: Int(7, 1, 'A reconnecting client is sent the events it missed if they are this recent.'),
  REALTIME_REPLAY_EVENTS: Int(1000, 1, 'And if they are among the last this many events of the member.'),
  REALTIME_SESSION_CHECK_MS: Int(500, 50, 'How often open sockets are checked against their sessions.'),
  REALTIME_PING_MS: Int(30_000, 100, 'How often the server pings each socket; no pong by the next ping closes it.'),
  REALTIME_MAX_SOCKETS_PER_USER: Int(16, 1, 'Open sockets (tabs, devices) one member may have at once.'),
  REALTIME_UPGRADES_PER_MINUTE: Int(120, 1, 'WebSocket connection attempts per IP per minute.'),
  REALTIME_MESSAGES_PER_SECOND: Int(10, 1, 'Messages one socket may send per second (bursts of three times that).'),
  BUDGET_POSTS_BURST: Int(10, 1, 'Posts (threads and replies) one member may write in a burst.'),
  BUDGET_POSTS_PER_HOUR: Int(60, 1, 'And per hour after that.'),
  BUDGET_EDITS_BURST: Int(20, 1, 'Edits (posts, titles, tags) one member may make in a burst.'),
  BUDGET_EDITS_PER_HOUR: Int(120, 1, 'And per hour after that.'),
  BUDGET_DRAFTS_BURST: Int(60, 1, 'Draft saves one member may make in a burst.'),
  BUDGET_DRAFTS_PER_HOUR: Int(1800, 1, 'And per hour after that.'),
  BUDGET_REPORTS_BURST: Int(10, 1, 'Reports one member may file in a burst.'),
  BUDGET_REPORTS_PER_HOUR: Int(30, 1, 'And per hour after that.'),
  BUDGET_UPLOADS_BURST: Int(20, 1, 'Files one member may upload in a burst.'),
  BUDGET_UPLOADS_PER_HOUR: Int(120, 1, 'And per hour after that.'),
  BUDGET_MESSAGES_BURST: Int(30, 1, 'Direct messages (new conversations included) one member may send in a burst.'),
  BUDGET_MESSAGES_PER_HOUR: Int(300, 1, 'And per hour after that.'),
  BUDGET_CONVERSATIONS_BURST: Int(10, 1, 'Conversations one member may start in a burst.'),
  BUDGET_CONVERSATIONS_PER_HOUR: Int(30, 1, 'And per hour after that.'),
  BUDGET_NEW_MEMBER_MESSAGES_BURST: Int(
    10,
    1,
    'Direct messages a new member (see DM_NEW_MEMBER_DAYS) may send in a burst.',
  ),
  BUDGET_NEW_MEMBER_MESSAGES_PER_HOUR: Int(60, 1, 'And per hour after that.'),
  BUDGET_NEW_MEMBER_CONVERSATIONS_BURST: Int(3, 1, 'Conversations a new member may start in a burst.'),
  BUDGET_NEW_MEMBER_CONVERSATIONS_PER_HOUR: Int(10, 1, 'And per hour after that.'),
  DM_MAX_PARTICIPANTS: Type.Integer({
    default: 8,
    minimum: 2,
    maximum: 50,
    description: 'Members one conversation may have, its starter included (2: one-to-one only).',
  }),
  DM_EDIT_WINDOW_MINUTES: Int(15, 0, 'How long after sending a member may edit a direct message (0: never).'),
  DM_NEW_MEMBER_DAYS: Int(
    7,
    0,
    'Members verified less than this many days ago have the new-member message budgets (0: none).',
  ),
  COOK_THREADS: Int(1, 1, 'Worker threads that cook markdown (long posts, analyses, draft excerpts).'),
  COOK_INLINE_MAX_CHARS: Int(1000, 0, 'Markdown up to this many characters is cooked on the main thread.'),
  THREAD_CACHE_ENTRIES: Int(2000, 0, 'Thread pages kept ready to serve (0: none, every read from the database).'),
  THREAD_CACHE_MB: Int(64, 1, 'And at most this much memory for them; the least recently read go first.'),
  SEARCH_THREADS: Int(2, 0, 'Worker threads running searches (0: on the main thread, for tests only).'),
  SEARCH_TIMEOUT_MS: Int(2000, 1, 'A search running longer is stopped and answered 503 SEARCH_TIMEOUT.'),
  SMTP_URL: Type.String({
    default: '',
    description:
      'Where mail is sent (nodemailer URL, smtp://user:pass@host:587 or smtps://...). Required in production.',
  }),
  MAIL_FROM: Type.String({ default: 'LexForum <no-reply@localhost>', minLength: 3 }),
  MAIL_DIR: Type.String({
    default: 'data/mail',
    minLength: 1,
    description: 'Without SMTP_URL (never in production), each message is written here as an .eml file.',
  }),
  EMAIL_NOTIFY_DELAY_MINUTES: Int(
    10,
    0,
    'A notification set to "email immediately" is mailed only if still unread in the app this many minutes after it was made.',
  ),
  PASSWORD_RESETS_PER_HOUR_PER_EMAIL: Int(3, 1, 'Password-reset requests per address per hour.'),
  PASSWORD_RESETS_PER_HOUR_PER_IP: Int(20, 1, 'Password-reset requests per IP per hour.'),
  ATTACHMENT_DIR: Type.String({
    default: 'data/attachments',
    minLength: 1,
    description: 'Where attached files are stored, by SHA-256.',
  }),
  ATTACHMENT_MAX_BYTES: Int(10 * 1024 * 1024, 1, 'The largest file a member may attach (bytes; larger: 413).'),
  ATTACHMENTS_PER_POST: Int(10, 0, 'Files one post may have (0: attachments off).'),
  ATTACHMENT_QUOTA_BYTES: Int(500 * 1024 * 1024, 0, "What one member's uploads may take in all (bytes)."),
  ATTACHMENT_THREADS: Int(1, 1, 'Worker threads extracting the text of PDF and text attachments for search.'),
  ATTACHMENT_EXTRACT_TIMEOUT_MS: Int(
    15_000,
    100,
    'An extraction running longer is stopped; the file stays, unsearchable.',
  ),
  ATTACHMENT_TEXT_MAX_CHARS: Int(200_000, 0, "Characters of an attachment's text indexed for search."),
  ATTACHMENT_PDF_MAX_PAGES: Int(500, 1, 'Pages of a PDF read for search.'),
});

export type Config = Type.Static<typeof ConfigSchema> & {
  /** Derived: absolute paths and the cookie policy. */
  databaseFile: string;
  webDistDir: string;
  /** Absolute MAIL_DIR. */
  mailDir: string;
  /** Absolute ATTACHMENT_DIR. */
  attachmentDir: string;
  publicOrigin: string;
  secureCookies: boolean;
  /** API_DOCS, or its default for NODE_ENV. */
  apiDocs: 'members' | 'public' | 'off';
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads `env` (process.env by default); throws a ConfigError naming every bad key. */
export function loadConfig(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<Config> = {},
): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(ConfigSchema, raw);
  const converted = Value.Convert(ConfigSchema, withDefaults);
  const merged = { ...(converted as object), ...overrides } as Record<string, unknown>;
  const errors = [...Value.Errors(ConfigSchema, merged)];
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.instancePath.slice(1) || '(root)'}: ${e.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const base = merged as Type.Static<typeof ConfigSchema>;
  const publicOrigin = normalizeOrigin(base.PUBLIC_ORIGIN || `http://localhost:${base.PORT}`);
  const config: Config = {
    ...base,
    databaseFile: base.DATABASE_PATH === ':memory:' ? ':memory:' : absolute(base.DATABASE_PATH),
    webDistDir: absolute(base.WEB_DIST),
    mailDir: absolute(base.MAIL_DIR),
    attachmentDir: absolute(base.ATTACHMENT_DIR),
    publicOrigin,
    secureCookies: publicOrigin.startsWith('https://'),
    apiDocs: base.API_DOCS ?? (base.NODE_ENV === 'production' ? 'members' : 'public'),
    ...overrides,
  };
  if (config.SESSION_IDLE_TIMEOUT_SECONDS > config.SESSION_MAX_AGE_SECONDS) {
    throw new ConfigError(
      'Invalid configuration:\n  SESSION_IDLE_TIMEOUT_SECONDS must not exceed SESSION_MAX_AGE_SECONDS',
    );
  }
  if (config.NODE_ENV === 'production' && !config.SMTP_URL) {
    throw new ConfigError(
      'Invalid configuration:\n  SMTP_URL: required in production (mail verifies addresses and resets passwords)',
    );
  }
  if (config.SMTP_URL && !/^smtps?:\/\/[^\s]+$/.test(config.SMTP_URL)) {
    throw new ConfigError('Invalid configuration:\n  SMTP_URL: must be an smtp:// or smtps:// URL');
  }
  return config;
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : resolve(repoRoot, path);
}

function normalizeOrigin(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`Invalid configuration:\n  PUBLIC_ORIGIN: not a URL (${value})`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError('Invalid configuration:\n  PUBLIC_ORIGIN: must be http or https');
  }
  return url.origin;
}
