#!/usr/bin/env node
// Committed (not built) so that npm links the `gureum` command even before the first build.
import '../dist/main.js';
