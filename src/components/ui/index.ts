/**
 * The app's component library: NutUI React for Taro (one code for weapp and H5), imported one
 * component at a time with its own stylesheet so the bundles carry only what the pages use.
 * Pages import controls from here, never `Button` / `Input` from `@tarojs/components` (lint-enforced):
 * Taro's own button style `taro-button-core[disabled]` also matches `disabled="false"` and turned
 * enabled buttons into 60 % white text. Colours, type scale and spacing: `src/styles/theme.css`.
 */
import NutButton from '@nutui/nutui-react-taro/dist/es/packages/button'
import Input from '@nutui/nutui-react-taro/dist/es/packages/input'
import Cell from '@nutui/nutui-react-taro/dist/es/packages/cell'
import CellGroup from '@nutui/nutui-react-taro/dist/es/packages/cellgroup'
import '@nutui/nutui-react-taro/dist/es/packages/button/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/input/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/cell/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/cellgroup/style/css'

export { Button } from './button'
export { NutButton, Input, Cell, CellGroup }
