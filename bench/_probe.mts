import { loadContactCenter } from "./engines.js";
import { readVocabulary } from "../src/review/decision-space.js";
const cc = await loadContactCenter();
console.log(cc.compiled.entrypoints, readVocabulary(cc.authorizer.policy));
console.log(Object.keys(cc.tenants), Object.keys((cc.tenants as any).acme ?? {}));
