// The part of Vue that vue-i18n uses, resolved for vue-i18n's imports only (vite.config.ts).
//
// Why: vue-i18n imports Vue as a namespace (`import * as Vue`) to probe for a `currentInstance`
// export, which keeps every export of Vue — Transition, KeepAlive, Suspense, Teleport,
// hydration … — in the bundle although we use few of them. Vue 3.5 has no such export, so
// vue-i18n falls back to getCurrentInstance() either way; through this module it does so
// without the namespace holding all of Vue. A name vue-i18n starts importing in a later
// version fails the build (missing export) instead of going unnoticed.
export {
  Fragment,
  Text,
  computed,
  createVNode,
  defineComponent,
  effectScope,
  getCurrentInstance,
  getCurrentScope,
  h,
  inject,
  isRef,
  onMounted,
  onScopeDispose,
  onUnmounted,
  ref,
  shallowRef,
  watch,
} from 'vue';
