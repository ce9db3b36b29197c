export { createWsHandler, type WsHandlerDeps } from "./handler";
export { upgradeWebSocket, type WSEvents } from "./upgrade";
