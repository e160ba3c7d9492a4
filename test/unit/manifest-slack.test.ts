// The Slack app manifest: every URL is the one endpoint the server serves, the slash command offers the
// app's own commands, and the bot asks for no scope beyond the ones it uses.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { COMMAND_NAMES } from '../../src/app/commands/run-command.ts';
import { SLACK_BOT_SCOPES, SLACK_REDIRECT_PATH } from '../../src/channels/slack/receiver.ts';

interface SlackManifest {
  display_information: { name: string; description: string; long_description: string };
  features: { slash_commands: Array<{ command: string; url: string; usage_hint: string; description: string }>; app_home: { home_tab_enabled: boolean } };
  oauth_config: { redirect_urls: string[]; scopes: { bot: string[] } };
  settings: { event_subscriptions: { request_url: string; bot_events: string[] }; interactivity: { is_enabled: boolean; request_url: string } };
}

const manifest = parse(readFileSync(join(import.meta.dirname, '../../manifests/slack/manifest.yaml'), 'utf8')) as SlackManifest;

describe('the Slack app manifest', () => {
  it('sends commands, events and interactivity to the one endpoint the server serves', () => {
    const urls = [...manifest.features.slash_commands.map((c) => c.url), manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url];
    expect(urls.length).toBe(3);
    for (const url of urls) expect(new URL(url).pathname).toBe('/slack/events');
    expect(new Set(urls).size).toBe(1);
  });

  it('offers /sparring with the commands the app knows, and the App Home tab', () => {
    const [sparring] = manifest.features.slash_commands;
    expect(sparring?.command).toBe('/sparring');
    for (const name of [...COMMAND_NAMES, 'setup']) expect(sparring?.usage_hint).toContain(name);
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
  });

  it('asks for the scopes the bot uses and no others', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([...SLACK_BOT_SCOPES].sort());
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_home_opened', 'app_uninstalled', 'channel_left', 'group_left', 'member_joined_channel', 'member_left_channel']);
  });

  it('sends an OAuth installer back to the path the server serves', () => {
    expect(manifest.oauth_config.redirect_urls.map((url) => new URL(url).pathname)).toEqual([SLACK_REDIRECT_PATH]);
  });

  it('fits Slack’s limits on the texts people see in the app directory', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    expect(manifest.display_information.long_description.length).toBeGreaterThanOrEqual(175);
    expect(manifest.display_information.long_description.length).toBeLessThanOrEqual(4000);
    for (const command of manifest.features.slash_commands) expect(command.description.length).toBeLessThanOrEqual(100);
  });
});
