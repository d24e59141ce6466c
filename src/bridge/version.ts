/** The bridge's own version, reported by /v1/health and /v1/meta. Kept in step with package.json by hand. */
export const BRIDGE_VERSION = '0.1.0';
