// Imported first (main.ts, mount.ts): zod decides at schema construction whether to compile
// parsers with `new Function`, probing for it once. Under a CSP without 'unsafe-eval' that
// caught probe is still reported as a violation, so switch compiling off before any schema
// module is evaluated. The interpreted parsers are fast enough for our payloads.
import { z } from 'zod';

z.config({ jitless: true });
