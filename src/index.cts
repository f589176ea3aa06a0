/**
 * The CommonJS entry: `require('syndic')` returns the same module as `import('syndic')` (Node ≥
 * 20.19 can require an ES module that has no top-level await; syndic has none).
 */
import syndic = require('./index.js');
export = syndic;
