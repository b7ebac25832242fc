/**
 * Who the passkeys belong to: the relying party is the host of PUBLIC_ORIGIN, and every answer must
 * come from that exact origin. A passkey made on one deployment never signs in to another.
 */
export interface RelyingParty {
  /** The host name (no scheme, no port): what browsers bind passkeys to. */
  id: string;
  name: string;
  /** The origin browsers report in clientDataJSON. */
  origin: string;
}

export function relyingParty(publicOrigin: string): RelyingParty {
  return { id: new URL(publicOrigin).hostname, name: 'LexForum', origin: publicOrigin };
}
