const base = process.env.API_BASE ?? '';
export const url = `${base}/orders`;
const githubToken = 'ghp_yOxJMImLlqliT8895LOJ7P41lo7fuOx3Gc2g';
const npmToken = "npm_mrsckqcoAgEFWQYpOl8E405WO8x6bsc5LNdp";
const secret = process.env.SECRET;
const passwordField = document.querySelector('#password');
