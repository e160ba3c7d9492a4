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
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN: needed with SLACK_SIGNING_SECRET \(one workspace\), or set SLACK_CLIENT_ID/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxp-user' })).toThrow(/SLACK_BOT_TOKEN: must be a bot token/);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_API_URL: 'ftp://x/' })).toThrow(ConfigError);
  });

  it('a Slack deployment needs ANONYMITY_SECRET', () => {
    expect(() => anonymitySecret(loadConfig({ SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' }))).toThrow(/ANONYMITY_SECRET/);
  });

  it('many workspaces by OAuth: client id, client secret and state secret together, instead of a bot token', () => {
    const oauth = { SLACK_SIGNING_SECRET: 's', SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'c', SLACK_STATE_SECRET: 'a'.repeat(32) };
    expect(loadConfig(oauth).SLACK_CLIENT_ID).toBe('1.2');
    expect(platformChannels(loadConfig({ ...oauth, ANONYMITY_SECRET: 'x'.repeat(32) }))).toEqual(['slack']);
    expect(() => loadConfig({ ...oauth, SLACK_STATE_SECRET: undefined })).toThrow(/SLACK_STATE_SECRET: needed for Slack OAuth/);
    expect(() => loadConfig({ ...oauth, SLACK_STATE_SECRET: 'short' })).toThrow(/SLACK_STATE_SECRET: must be at least 16 characters/);
    expect(() => loadConfig({ ...oauth, SLACK_BOT_TOKEN: 'xoxb-1' })).toThrow(/SLACK_BOT_TOKEN: one workspace \(SLACK_BOT_TOKEN\) or OAuth/);
    expect(() => loadConfig({ SLACK_CLIENT_ID: '1.2', SLACK_CLIENT_SECRET: 'c', SLACK_STATE_SECRET: 'a'.repeat(32) })).toThrow(/SLACK_SIGNING_SECRET: needed for Slack OAuth/);
  });
});
