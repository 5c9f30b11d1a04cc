// The package's Node-only entry ("./activities"): Baton's worker reads `activities`.
import { orderStatusV1Activity, orderStatusV2Activity } from './order-status.activity.js';

export { orderStatusV1Activity, orderStatusV2Activity };
export const activities = [orderStatusV1Activity, orderStatusV2Activity];
