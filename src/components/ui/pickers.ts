/**
 * Pickers (NutUI `Picker` for lists, `DatePicker` for dates): only the pages that choose a member,
 * a seal or a date import this file, so the main package does not carry them.
 */
import Picker from '@nutui/nutui-react-taro/dist/es/packages/picker'
import DatePicker from '@nutui/nutui-react-taro/dist/es/packages/datepicker'
import '@nutui/nutui-react-taro/dist/es/packages/picker/style/css'
import '@nutui/nutui-react-taro/dist/es/packages/datepicker/style/css'

export { Picker, DatePicker }
