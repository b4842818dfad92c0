const params = new URLSearchParams(location.search);
document.getElementById('next').value = params.get('next') || '/analytics.html';
if (params.has('error')) document.getElementById('error').hidden = false;
