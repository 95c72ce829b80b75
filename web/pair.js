// pair.js: the sign-in page (RenderPairPage). A link "/pair#<token>" fills
// in and sends the token, so the secret travels in the fragment (never
// logged) and then an HttpOnly cookie. ES2017 module.
const pair = document.querySelector('form.ck-pair');
if (pair) {
  const signIn = () => {
    if (location.hash.length < 2) return;
    pair.elements.token.value = decodeURIComponent(location.hash.slice(1));
    history.replaceState(null, '', location.pathname);
    pair.submit();
  };
  // A link opened on this very page only changes the fragment.
  window.addEventListener('hashchange', signIn);
  if (!document.querySelector('.ck-pair-error')) signIn();
}

