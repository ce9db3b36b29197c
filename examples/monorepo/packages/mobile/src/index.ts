export { reduce, total, type Cart, type CartAction, type Line } from "./cart";
