// pdfmake ships its Roboto files only inside this CommonJS bundle (file name → base64), without typings.
declare module 'pdfmake/build/vfs_fonts.js' {
  const vfs: Record<string, string>;
  export default vfs;
}
