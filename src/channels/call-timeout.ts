/**
 * How long one call to a platform (Teams' Bot Connector, Slack's Web API and a command's response_url) may take
 * before it counts as failed: a connection that hangs must not hold a delivery worker's send, or a command
 * worker, for ever. Far above what a healthy platform takes, so a slow answer is rarely given up (a send given up
 * on may still arrive, and is then sent again).
 */
export const PLATFORM_CALL_TIMEOUT_MS = 15_000;
