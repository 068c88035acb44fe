/** The HTTP server each Runnel process runs: /metrics, /ready and the routes components add. */
package dev.runnel.server;
