import { createElement, forwardRef, type ComponentProps } from 'react'
import NutButton from '@nutui/nutui-react-taro/dist/es/packages/button'

export type ButtonProps = ComponentProps<typeof NutButton>

/**
 * NutUI's button with its state announced: `aria-disabled` while disabled or loading (NutUI draws
 * the state with classes only and never sets Taro's `disabled` attribute, whose stylesheet also
 * matches `disabled="false"`), `aria-busy` while loading.
 */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(props, ref) {
  const off = Boolean(props.disabled || props.loading)
  return createElement(NutButton, { ...props, ref, ...({ 'aria-disabled': off ? 'true' : 'false', 'aria-busy': props.loading ? 'true' : undefined } as Record<string, unknown>) })
})
