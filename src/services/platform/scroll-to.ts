import Taro from '@tarojs/taro'

/** Scrolls the page so the element with this id is in view. WeChat: `pageScrollTo` with a selector. (H5: scroll-to.h5.ts.) */
export function scrollToId(id: string): void {
  void Taro.pageScrollTo({ selector: `#${id}`, offsetTop: -160, duration: 300 }).catch(() => undefined)
}
