declare module 'rehype-minify-whitespace' {
  export default function minifyWhitespace(): void;
}
