/**
 * The Adaptive Cards host config the browser pages (the card gallery and the playground) render
 * with: close to Teams' light theme, with text colours that keep a 4.5:1 contrast on white.
 */
const foreground = (normal: string, subtle: string) => ({ default: normal, subtle });
const colors = {
  default: foreground('#242424', '#5c5c5c'),
  dark: foreground('#242424', '#424242'),
  light: foreground('#ffffff', '#f0f0f0'),
  accent: foreground('#4f52b2', '#4f52b2'),
  good: foreground('#0e700e', '#0e700e'),
  warning: foreground('#7a5500', '#7a5500'),
  attention: foreground('#b10e1c', '#b10e1c'),
};
const container = (backgroundColor: string) => ({ backgroundColor, foregroundColors: colors });

export const HOST_CONFIG = {
  fontFamily: '"Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif',
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 14 },
  separator: { lineThickness: 1, lineColor: '#d6d6d6' },
  fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  containerStyles: {
    default: container('#ffffff'),
    emphasis: container('#f5f5f5'),
    accent: container('#eef0fb'),
    good: container('#eef6e6'),
    attention: container('#fdf3f4'),
    warning: container('#fcf8e3'),
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
    showCard: { actionMode: 'inline', inlineTopMargin: 12 },
  },
  factSet: {
    title: { color: 'default', size: 'default', isSubtle: false, weight: 'bolder', wrap: true, maxWidth: 160 },
    value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
    spacing: 12,
  },
  inputs: {
    label: { inputSpacing: 'small', requiredInputs: { weight: 'bolder', suffix: ' *', suffixColor: 'attention' }, optionalInputs: { weight: 'bolder' } },
    errorMessage: { size: 'small', color: 'attention' },
  },
};

/** The host config as a JavaScript expression for an inline page script (no `<` can end the script). */
export const hostConfigScript = (renderer: string) => `new ${renderer}.HostConfig(${JSON.stringify(HOST_CONFIG).replace(/</g, '\\u003c')})`;
