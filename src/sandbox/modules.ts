// The sandbox serves one module per registered integration (src/integrations/registry.ts).
import { integrations } from '../integrations/registry.ts';
import type { SandboxModule } from './module.ts';

export const SANDBOX_MODULES: readonly SandboxModule[] = Object.values(integrations).map((d) => d.sandbox);
