/** The modeling room's services for the web area, built once from the web context. */
import { createModeling, type ImportDeps, type Modeling } from '../../modeling';
import type { WebContext } from '../core/context';

export interface ModelingServices {
  modeling: Modeling;
  imports: ImportDeps;
  /** The engine deployments are recorded under. */
  engine: string;
}

export function modelingServices(ctx: WebContext): ModelingServices {
  const engine = ctx.env.builtInEngine ? 'built-in' : `zeebe@${ctx.env.zeebeAddress}`;
  const modeling = createModeling({
    connection: ctx.connection,
    deployer: { zeebe: ctx.zeebe, engine },
    templates: ctx.templates,
  });
  return {
    modeling,
    engine,
    imports: {
      connection: ctx.connection,
      repo: modeling.repo,
      config: ctx.config,
      settings: ctx.settings,
      templates: ctx.templates,
    },
  };
}
