// zod schema of manifest.json in ChurchTools' coming extension format (boilerplate
// `entry-points` branch, manifest.schema.json; reference/ct-extension.md §1.2), plus what this
// extension itself requires: a `main` and an `admin` extension point.
import { z } from 'zod';

const semver = /^\d+\.\d+\.\d+(-[a-zA-Z0-9.-]+)?$/;
const ctVersion = /^\d+\.\d+\.\d+$/;

const extensionPoint = z
  .object({
    id: z.string().min(1),
    entryPoint: z.string().regex(/^[A-Za-z_$][\w$]*$/, 'must be a JavaScript export name'),
    title: z.string().min(1).optional(),
    description: z.string().optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export const manifestSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1).max(100),
    key: z.string().min(1).max(50).regex(/^[a-z0-9-]+$/, 'must match ^[a-z0-9-]+$'),
    version: z.string().regex(semver, 'must be a semantic version (1.2.3 or 1.2.3-beta.1)'),
    description: z.string().min(10).max(500),
    author: z
      .object({ name: z.string().min(1), email: z.email().optional(), url: z.url().optional() })
      .strict(),
    homepage: z.url().optional(),
    repository: z.object({ type: z.enum(['git', 'svn', 'hg']), url: z.string().min(1) }).strict().optional(),
    license: z.string().min(1).optional(),
    icon: z.url().optional(),
    images: z.array(z.url()).optional(),
    extensionPoints: z
      .array(extensionPoint)
      .min(1)
      .refine((points) => new Set(points.map((p) => p.id)).size === points.length, 'extension point ids must be unique')
      .refine(
        (points) => ['main', 'admin'].every((id) => points.some((p) => p.id === id)),
        'this extension must declare the "main" and "admin" extension points',
      ),
    permissions: z.array(z.string().min(1)).optional(),
    minChurchToolsVersion: z.string().regex(ctVersion, 'must look like 3.136.0').optional(),
    maxChurchToolsVersion: z.string().regex(ctVersion, 'must look like 3.136.0').optional(),
    settings: z.record(z.string(), z.unknown()).optional(),
    dependencies: z.record(z.string(), z.string()).optional(),
  })
  // Unknown fields are typos more often than extensions of the format.
  .strict();
