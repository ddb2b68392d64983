/**
 * The hash a hash chain's first entry names as its previous one (64 zeros, the width of a SHA-256
 * in hex), shared by the chained formats: the sign-off audit log and the server's project audit.
 */
export const GENESIS_HASH = '0'.repeat(64);
