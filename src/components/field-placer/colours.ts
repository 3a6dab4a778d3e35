/** One colour per signer or template role (kept at 4.5:1 against white for the labels drawn in them). */
export const PARTY_COLOURS = ['#1a56db', '#c4161c', '#0a7a32', '#8a5300', '#7e22ce', '#0e7490', '#be185d', '#4d7c0f']

/** The colour of the `index`-th party or role. */
export const colourAt = (index: number) => PARTY_COLOURS[Math.max(0, index) % PARTY_COLOURS.length]!

/** Fill-in placeholders (`{{key}}`): one neutral colour, drawn dashed (not a party's). */
export const PLACEHOLDER_COLOUR = '#4e5561'
