// The Node-only entry that loads node packages listed in baton.config.json or BATON_NODE_PACKAGES.
export { CONFIG_FILE, loadNodePackages, NodePackageError, nodePackageSpecs } from './loader/load-node-packages.js';
export type { LoadedNodePackages, NodePackage } from './loader/load-node-packages.js';
