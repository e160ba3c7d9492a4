// Slack workspaces' installations of the app by OAuth.

/** A Slack workspace's (or Enterprise Grid org's) installation of the app by OAuth: what Bolt needs to act there. */
export interface SlackInstallationRecord {
  /** `T…` workspace id, or `E…` enterprise id for an org-wide install. */
  key: string;
  /** Bolt's Installation object as Bolt gave it (JSON): holds the bot token; never logged. */
  installation: Record<string, unknown>;
  /** Who installed it (Slack user id), for export and erase; absent once erased. */
  installedBy?: string;
  /** ISO time of the install. */
  installedAt: string;
}

/**
 * The app's installations in Slack workspaces, one per workspace (or org), kept in our store so every
 * replica finds the bot token of the workspace it acts in. Not a team's data: keyed by workspace, not
 * by a run. The installer's Slack user id is personal data (the part `slackInstallations`).
 */
export interface SlackInstallationStore {
  /** Adds the installation, or replaces the one of the same key. */
  saveSlackInstallation(record: SlackInstallationRecord): Promise<void>;
  getSlackInstallation(key: string): Promise<SlackInstallationRecord | undefined>;
  /** Returns whether one was removed. */
  deleteSlackInstallation(key: string): Promise<boolean>;
}
