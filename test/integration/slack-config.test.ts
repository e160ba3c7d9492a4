// The Slack variables: SLACK_SIGNING_SECRET turns Slack on (and the playground off by default), the bot
// token is needed beside it, and a platform channel needs the anonymity secret.
import { describe, expect, it } from 'vitest';
import { anonymitySecret, ConfigError, loadConfig, platformChannels, playgroundOn } from '../../src/config.ts';

describe('Slack configuration', () => {
  it('SLACK_SIGNING_SECRET turns Slack on; the playground then only with PLAYGROUND=true', () => {
    const config = loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', ANONYMITY_SECRET: 'x'.repeat(32) });
    expect(platformChannels(config)).toEqual(['slack']);
    expect(playgroundOn(config)).toBe(false);
    expect(config.SLACK_API_URL).toBeUndefined();
    expect(platformChannels(loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', TEAMS_AUTH_DISABLED: 'true' }))).toEqual(['teams', 'slack']);
    expect(platformChannels(loadConfig({ SLACK_SIGNING_SECRET: '', SLACK_BOT_TOKEN: '', SLACK_API_URL: '' }))).toEqual([]);
  });

  it('needs the bot token beside the signing secret, a bot token, and an http(s) API URL', () => {
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN: needed with SLACK_SIGNING_SECRET/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow(/SLACK_BOT_TOKEN: must be a bot token/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_API_URL: 'ftp://x/' })).toThrow(ConfigError);
  });

  it('a Slack deployment needs ANONYMITY_SECRET', () => {
    expect(() => anonymitySecret(loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow(/ANONYMITY_SECRET/);
  });
});
