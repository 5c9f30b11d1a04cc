// The Node-only entry ("./activities"): only the worker loads it.
import { __CAMEL__Activity } from './__KEBAB__.activity.js';

export { __CAMEL__Activity };

/** One implementation per definition in `nodes` that has an activity, older versions included. */
export const activities = [__CAMEL__Activity];
