// The embeddable widget: <script src="https://baton.example/widget.js" data-bot="bot_…"></script>
export {};
