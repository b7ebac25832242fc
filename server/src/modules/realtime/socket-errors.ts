/**
 * What @fastify/websocket does with an error on an open socket. Its default logs every one at error
 * level with a stack, so any client could fill the error log (and page whoever watches it) by
 * sending an oversized or malformed frame. Here a client's fault (a frame ws refuses: too big, bad
 * opcode, bad UTF-8, unmasked...) is logged at warn without a stack, a client that vanished
 * mid-frame at info, and only anything else (our handler failing) stays an error. In every case the
 * socket is dropped, as before; ws has already sent the close code it owes the client.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';

/** Network errors of a client that went away: nothing for anyone to act on. */
const CLIENT_GONE = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

/** What the handler needs of the upgrade request (an open socket keeps only this much of it). */
export interface SocketOrigin {
  log: FastifyBaseLogger;
  auth?: { user: { id: string } } | null;
}

export function onSocketError(error: Error, socket: WebSocket, request: SocketOrigin): void {
  const code = (error as Error & { code?: unknown }).code;
  const userId = request.auth?.user.id;
  if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
    request.log.warn({ code, reason: error.message, userId }, 'realtime client sent an invalid frame; closing');
  } else if (typeof code === 'string' && CLIENT_GONE.has(code)) {
    request.log.info({ code, userId }, 'realtime client went away');
  } else {
    request.log.error({ err: error, userId }, 'realtime socket failed');
  }
  socket.terminate();
}
