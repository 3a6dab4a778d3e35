/**
 * Minimal DOM stand-ins for @tarojs/components (unit tests only; the real components are exercised by
 * the H5 build in Chromium). Only DOM-safe props are forwarded; onTap/onClick → onClick, onInput → onChange
 * with a Taro-style `detail.value`.
 */
import React from 'react'

type AnyProps = Record<string, unknown> & { children?: React.ReactNode }

const PASS_THROUGH = /^(id|className|style|role|title|src|placeholder|disabled|value|onTouchStart|onTouchMove|onTouchEnd)$/

function make(tag: string, name: string) {
  const Component = React.forwardRef<unknown, AnyProps>((props, ref) => {
    const { children, onClick, onTap, onInput, onChange, type, ...rest } = props
    const dom: Record<string, unknown> = { ref }
    for (const [key, value] of Object.entries(rest)) {
      if (PASS_THROUGH.test(key) || key.startsWith('data-') || key.startsWith('aria-')) dom[key] = value
    }
    const click = (onClick ?? onTap) as ((e: unknown) => void) | undefined
    if (click) dom.onClick = click
    const input = (onInput ?? onChange) as ((e: unknown) => void) | undefined
    if (input) {
      dom.onChange = (e: React.ChangeEvent<HTMLInputElement>) => input({ ...e, detail: { value: e.target.value } })
    }
    if (tag === 'canvas' && type !== undefined) dom['data-type'] = type
    if (tag === 'button') dom.type = 'button'
    return React.createElement(tag, dom, children as React.ReactNode)
  })
  Component.displayName = name
  return Component
}

export const View = make('div', 'View')
export const Text = make('span', 'Text')
export const Button = make('button', 'Button')
export const Image = make('img', 'Image')
export const Input = make('input', 'Input')
export const Textarea = make('textarea', 'Textarea')
export const Canvas = make('canvas', 'Canvas')
export const ScrollView = make('div', 'ScrollView')
export const Form = make('form', 'Form')
export const Label = make('label', 'Label')
export const Navigator = make('a', 'Navigator')
