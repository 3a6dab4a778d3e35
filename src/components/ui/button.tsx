import { createElement, forwardRef, type ComponentProps } from 'react'
import NutButton from '@nutui/nutui-react-taro/dist/es/packages/button'

export type ButtonProps = ComponentProps<typeof NutButton>

/**
 * NutUI's button with its state announced: `aria-disabled` while disabled or loading (NutUI draws
 * the state with classes only and never sets Taro's `disabled` attribute, whose stylesheet also
 * matches `disabled="false"`), `aria-busy` while loading; the button role and a tab stop.
 */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(props, ref) {
  const off = Boolean(props.disabled || props.loading)
  // On H5 the button is a custom element: give it the button role and a tab stop, and let Enter or
  // Space press it, so a keyboard reaches every action.
  const onKeyDown = (e: { key?: string; preventDefault?: () => void }) => {
    if ((e.key === 'Enter' || e.key === ' ') && !off) {
      e.preventDefault?.()
      props.onClick?.(e as never)
    }
  }
  const a11y = { 'aria-disabled': off ? 'true' : 'false', 'aria-busy': props.loading ? 'true' : undefined, role: 'button', tabIndex: 0, onKeyDown }
  return createElement(NutButton, { ...props, ref, ...(a11y as Record<string, unknown>) })
})
